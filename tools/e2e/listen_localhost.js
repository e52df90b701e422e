// Preload (NODE_OPTIONS="--require /abs/path/listen_localhost.js"): every TCP server this Node process
// opens listens on 127.0.0.1 only. The Microsoft 365 Agents Playground listens on all interfaces and
// has no option for the host; this keeps its web UI and mocked connector off the network.
"use strict";
const net = require("net");

const HOST = "127.0.0.1";
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === "object" && !Array.isArray(first)) {
    // listen(options[, callback]): a pipe path, a handle or a file descriptor stays as it is.
    const isTcp = first.path === undefined && first.fd === undefined && first.handle === undefined && !first._handle;
    if (isTcp) args[0] = { ...first, host: HOST };
  } else if (first === undefined || typeof first === "function") {
    // listen() / listen(callback): a random port.
    args.splice(0, first === undefined ? 1 : 0, 0, HOST);
  } else if (typeof first === "number" || /^\d+$/.test(String(first))) {
    // listen(port[, host][, backlog][, callback])
    if (typeof args[1] === "string") args[1] = HOST;
    else args.splice(1, 0, HOST);
  }
  return listen.apply(this, args);
};
