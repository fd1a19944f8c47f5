// --pre-js of the wasm module (inside the MODULARIZE factory, before the
// environment set-up). Emscripten 3.1.6 reads __dirname when it runs under
// Node, which an ES module does not have; the module never reads files itself
// (Node callers pass Module.wasmBinary), so an empty directory is enough.
var __dirname = '';
