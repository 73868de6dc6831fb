/// Which pixels objects already take, so new objects are placed apart from them: fields do not
/// run into lakes, buildings do not overlap, ships stay off the land.
struct OccupancyGrid {
    let width: Int
    let height: Int
    private var taken: [Bool]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        taken = [Bool](repeating: false, count: width * height)
    }

    /// Whether (x, y) is taken; pixels outside the grid count as taken.
    func isTaken(_ x: Int, _ y: Int) -> Bool {
        x < 0 || y < 0 || x >= width || y >= height || taken[y * width + x]
    }

    /// Whether no pixel the outline touches is taken, and the outline lies inside the grid.
    func isFree(_ outline: Outline) -> Bool {
        let box = outline.box
        guard box.minX >= 0, box.minY >= 0, box.maxX <= Double(width), box.maxY <= Double(height) else { return false }
        var free = true
        Coverage(outline, canvasWidth: width, canvasHeight: height, subrows: 1).forEachCovered { x, y, _ in
            if taken[y * width + x] { free = false }
        }
        return free
    }

    /// Takes every pixel the outline touches and those within `margin` pixels of them.
    mutating func take(_ outline: Outline, margin: Int = 0) {
        Coverage(outline, canvasWidth: width, canvasHeight: height, subrows: 1).forEachCovered { x, y, _ in
            take(x, y, margin: margin)
        }
    }

    /// Takes pixel (x, y) and those within `margin` pixels of it (a square neighbourhood).
    mutating func take(_ x: Int, _ y: Int, margin: Int = 0) {
        for ny in max(0, y - margin) ... min(height - 1, y + margin) {
            for nx in max(0, x - margin) ... min(width - 1, x + margin) { taken[ny * width + nx] = true }
        }
    }
}
