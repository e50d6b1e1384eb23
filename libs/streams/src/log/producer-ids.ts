import type { JsonDocuments } from './json-document.js';
import type { StoreLayout } from './layout.js';

/**
 * Producer ids for InitProducerId: taken from one compare-and-swap counter in the store, so every
 * broker hands out distinct ids and none is ever handed out twice.
 */
export class ProducerIds {
  readonly #json: JsonDocuments;
  readonly #layout: StoreLayout;

  constructor(json: JsonDocuments, layout: StoreLayout) {
    this.#json = json;
    this.#layout = layout;
  }

  /** A producer id no one has had before. */
  async allocate(): Promise<bigint> {
    return BigInt(await this.#json.takeNext(this.#layout.producerIdCounter));
  }
}
