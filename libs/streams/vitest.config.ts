import { defineProject } from 'vitest/config';
import { isthmusTestDefaults, sourceOf } from '../../vitest.shared.js';

export default defineProject({
  ...isthmusTestDefaults,
  test: {
    ...isthmusTestDefaults.test,
    name: 'streams',
    globalSetup: [sourceOf('@isthmus/services/s3-global-setup')],
  },
});
