// @isthmus/partition/point-cloud: LAS, LAZ and COPC. Loaded by the core on first use; importing it
// registers its formats, and gives their record and strategy types.
import { registerFormat } from '../../format-registry.js';
import { copcFormat } from './copc-format.js';
import { lasFormat } from './las-format.js';
import { lazFormat } from './laz-format.js';

registerFormat(copcFormat);
registerFormat(lazFormat);
registerFormat(lasFormat);

export {
  type BoundingBoxStrategy,
  bboxStrategy,
  type TilesStrategy,
  tilesStrategy,
} from '../spatial-strategies.js';
export type { LasPoint } from './las-point.js';
