/// How a one-pass pyramid build walks a scene: strips of full-resolution pixels, panel by panel.
///
/// A strip is `panelWidth` wide and `stripHeight` high, both multiples of 2^maxLevel so
/// every strip starts on a block of every level, and aligned to the source's blocks so each
/// source block is decoded once, by one strip. Panels keep a strip's memory bounded however
/// wide the scene is.
public struct StripPlan: Hashable, Sendable {
    public let panelWidth: Int
    public let stripHeight: Int
    /// The strips, panel by panel, top to bottom, clipped to the scene.
    public let strips: [Window]

    /// Plans strips of at most about `budgetBytes` each.
    ///
    /// - Parameters:
    ///   - blockSize: the source's block (tile or strip) size.
    ///   - bytesPerPixel: bytes of one pixel across the bands read.
    public init(sceneSize: RasterSize, blockSize: RasterSize, maxLevel: Int, bytesPerPixel: Int, budgetBytes: Int) {
        let levelBlock = 1 << maxLevel
        let height = Self.roundUp(Swift.max(blockSize.height, levelBlock), to: levelBlock)
        let alignment = Self.lcm(levelBlock, Swift.max(1, blockSize.width))
        let affordable = budgetBytes / Swift.max(1, height * bytesPerPixel)
        var width = Swift.max(alignment, affordable / alignment * alignment)
        if width >= sceneSize.width { width = Self.roundUp(sceneSize.width, to: levelBlock) }
        panelWidth = width
        stripHeight = height
        var strips: [Window] = []
        var x = 0
        while x < sceneSize.width {
            var y = 0
            while y < sceneSize.height {
                strips.append(Window(x: x, y: y, width: Swift.min(width, sceneSize.width - x), height: Swift.min(height, sceneSize.height - y)))
                y += height
            }
            x += width
        }
        self.strips = strips
    }

    static func roundUp(_ value: Int, to multiple: Int) -> Int { value.divided(roundingUpBy: multiple) * multiple }

    static func lcm(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return a / x * b
    }
}
