/**
 * A Node `--import` module, as a data URL, that makes every TCP server of the process listen on
 * 127.0.0.1. The function runtimes started for local use (functions-framework, faas-js-runtime)
 * have no host option and listen on all interfaces; this keeps them on loopback unchanged.
 */
export const LOOPBACK_ONLY_IMPORT = `data:text/javascript,${encodeURIComponent(`
import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const [first, second] = args;
  if (first !== null && typeof first === 'object' && !Array.isArray(first) && first.path === undefined) {
    args[0] = { ...first, host: '127.0.0.1' };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first))) {
    if (typeof second === 'string') args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
`)}`;
