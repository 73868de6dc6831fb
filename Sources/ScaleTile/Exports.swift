// The core's value types (windows, levels, formats, errors) are part of the jobs' API: a
// script or the command line that imports ScaleTile needs no second import.
@_exported import ScaleTileCore
// `--as scene|stack` names the reader through the medical module's `TIFFKind`.
@_exported import enum ScaleTileMedical.TIFFKind
