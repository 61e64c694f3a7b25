// Forwarding: the dialled number is rewritten, and easyProcess bridges the two calls.
VoxEngine.forwardCallToPSTN((n) => '+4420' + n.slice(-4), (a, b) => Logger.write('established ' + a.id() + ' <-> ' + b.id()));
