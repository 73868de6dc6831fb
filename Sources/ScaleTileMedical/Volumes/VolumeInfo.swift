import ScaleTileCore

extension MedicalVolume {
    /// The volume's description for `scaletile info`.
    public var info: StackInfo {
        var info = StackInfo(kind: "volume", source: self)
        info.format = format
        info.affine = affine.matrix
        info.space = affine.space
        info.orientation = affine.orientation
        info.affineSource = affineSource
        info.encoding = encoding
        info.valueScaling = valueScaling
        return info
    }
}
