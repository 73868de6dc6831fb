// Cairo (2-D drawing: lines, fills, text, PNG output) for `scaletile quicklook`.
// Everything ScaleTile calls is a plain function; no wrapper is needed yet.
#include <cairo.h>
