import { RagError } from './errors.js';
import { startRagServer } from './rag-server.js';
import { parseServerArgs, USAGE } from './server-args.js';

try {
  const options = parseServerArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
  } else {
    const server = await startRagServer(options);
    const answers = options.chat ? `chat model ${options.chat.model}` : 'extractive';
    console.error(
      `isthmus-rag: ${server.url} (table ${server.table}; answers: ${answers}; ${options.token ? 'bearer token required' : 'no token'})`,
    );
    if (!options.token && !['127.0.0.1', '::1', 'localhost'].includes(options.host ?? '')) {
      console.error(
        'isthmus-rag: listening beyond loopback without a token: anyone who reaches it can ingest and read',
      );
    }
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  console.error(`isthmus-rag: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof RagError && error.code === 'ERR_RAG_USAGE') {
    console.error(USAGE);
    process.exitCode = 2;
  } else {
    process.exitCode = 1;
  }
}
