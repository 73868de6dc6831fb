import Foundation
internal import CCairo
import ScaleTileCore

/// An opaque or translucent colour, components in [0, 1].
public struct DrawingColour: Hashable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// The colour as 8-bit RGB, as a PNG of it holds it (opaque colours only).
    public var bytes: [UInt8] { [red, green, blue].map { UInt8(($0 * 255).rounded()) } }
}

/// A picture drawn with cairo: an RGB image under lines, fills and text, written as PNG.
///
/// Not `Sendable`: it owns a cairo surface and context, which one thread uses at a time.
/// Coordinates are pixels from the top-left corner. Shapes are drawn without antialiasing, so
/// a filled rectangle or a 2-px line on whole pixels has exactly its colour.
public final class QuicklookCanvas {
    private let surface: OpaquePointer
    private let context: OpaquePointer
    public let width: Int
    public let height: Int

    /// A canvas of `width` × `height` pixels filled with `background`.
    public init(width: Int, height: Int, background: DrawingColour) throws {
        guard width > 0, height > 0, width <= 32767, height <= 32767,
              let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw ScaleTileError(.io, nil, "cannot create a \(width)x\(height) drawing surface")
        }
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw ScaleTileError(.io, nil, "cannot create a drawing context")
        }
        self.surface = surface
        self.context = context
        self.width = width
        self.height = height
        cairo_set_antialias(context, CAIRO_ANTIALIAS_NONE)
        fill(x: 0, y: 0, width: Double(width), height: Double(height), background)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Paints an 8-bit image at (`x`, `y`): `rgb` is channel-first (3 planes of `width` × `height`).
    public func image(rgb: [UInt8], width: Int, height: Int, x: Int, y: Int) {
        precondition(rgb.count == 3 * width * height, "image samples do not match its size")
        guard let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else { return }
        defer { cairo_surface_destroy(image) }
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image)), plane = width * height
        if let data = cairo_image_surface_get_data(image) {
            // RGB24 is a native-endian 32-bit word per pixel: 0x00RRGGBB.
            data.withMemoryRebound(to: UInt32.self, capacity: stride / 4 * height) { words in
                for row in 0 ..< height {
                    for column in 0 ..< width {
                        let i = row * width + column
                        words[row * stride / 4 + column] = UInt32(rgb[i]) << 16 | UInt32(rgb[plane + i]) << 8 | UInt32(rgb[2 * plane + i])
                    }
                }
            }
        }
        cairo_surface_mark_dirty(image)
        cairo_set_source_surface(context, image, Double(x), Double(y))
        cairo_paint(context)
    }

    /// Fills a rectangle.
    public func fill(x: Double, y: Double, width: Double, height: Double, _ colour: DrawingColour) {
        set(colour)
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    /// Fills the union of rectangles `(x, y, width, height)` once (one path, nonzero winding):
    /// a translucent colour shades overlaps no darker than the rest.
    public func fill(rectangles: [(x: Double, y: Double, width: Double, height: Double)], _ colour: DrawingColour) {
        set(colour)
        cairo_set_fill_rule(context, CAIRO_FILL_RULE_WINDING)
        for r in rectangles { cairo_rectangle(context, r.x, r.y, r.width, r.height) }
        cairo_fill(context)
    }

    /// Outlines a rectangle with a line of `lineWidth` pixels centred on its edges.
    public func outline(x: Double, y: Double, width: Double, height: Double, _ colour: DrawingColour, lineWidth: Double) {
        set(colour)
        cairo_set_line_width(context, lineWidth)
        cairo_rectangle(context, x, y, width, height)
        cairo_stroke(context)
    }

    /// Limits what follows to a rectangle, until ``unclip()``.
    public func clip(x: Double, y: Double, width: Double, height: Double) {
        cairo_rectangle(context, x, y, width, height)
        cairo_clip(context)
    }

    /// Lifts the limit set by ``clip(x:y:width:height:)``.
    public func unclip() { cairo_reset_clip(context) }

    /// Writes `text` with its baseline's left end at (`x`, `y`), in a sans-serif face of `size` pixels.
    public func text(_ text: String, x: Double, y: Double, size: Double, _ colour: DrawingColour) {
        set(colour)
        cairo_select_font_face(context, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        cairo_move_to(context, x, y)
        cairo_show_text(context, text)
    }

    /// Writes the picture as PNG to `path`, atomically.
    public func writePNG(to path: String) throws {
        cairo_surface_flush(surface)
        try AtomicFile.produce(path) { temporary in
            let status = cairo_surface_write_to_png(surface, temporary)
            guard status == CAIRO_STATUS_SUCCESS else {
                throw ScaleTileError(.io, path, "cannot write the PNG (\(String(cString: cairo_status_to_string(status))))")
            }
        }
    }

    private func set(_ c: DrawingColour) {
        cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha)
    }
}
