/// A binary min-heap ordered by a caller's comparison: the priority queue of object-balanced
/// sampling's second round (the standard library has none, and the core takes no dependency).
struct MinimumQueue<Element> {
    private var elements: [Element] = []
    private let isLess: (Element, Element) -> Bool

    /// An empty queue ordered by `isLess`.
    init(by isLess: @escaping (Element, Element) -> Bool) {
        self.isLess = isLess
    }

    /// Adds an element.
    ///
    /// - Complexity: O(log n).
    mutating func insert(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard isLess(elements[child], elements[parent]) else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the least element, or nil when empty.
    ///
    /// - Complexity: O(log n).
    mutating func popMinimum() -> Element? {
        guard !elements.isEmpty else { return nil }
        elements.swapAt(0, elements.count - 1)
        let minimum = elements.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var least = parent
            if left < elements.count, isLess(elements[left], elements[least]) { least = left }
            if right < elements.count, isLess(elements[right], elements[least]) { least = right }
            guard least != parent else { break }
            elements.swapAt(parent, least)
            parent = least
        }
        return minimum
    }
}
