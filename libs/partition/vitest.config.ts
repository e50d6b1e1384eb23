import { defineProject } from 'vitest/config';
import { isthmusTestDefaults } from '../../vitest.shared.js';

export default defineProject({
  ...isthmusTestDefaults,
  test: {
    ...isthmusTestDefaults.test,
    name: 'partition',
    globalSetup: [
      './test/generate-sources.ts',
      '../../tools/services/src/s3-global-setup.ts',
      '../../tools/services/src/slurm-global-setup.ts',
    ],
  },
});
