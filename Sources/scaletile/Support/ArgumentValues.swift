import Foundation
import ArgumentParser
import ScaleTile

extension EdgePolicy: ExpressibleByArgument {}
extension TileFormat: ExpressibleByArgument {}
extension Resampling: ExpressibleByArgument {}

extension LevelSelection: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}
