// Prints `tests: N passed, N failed` from vitest's JSON report and exits non-zero on any failure
// (or when the report is missing or counts no test at all).
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.isthmus/reports/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.log('tests: 0 passed, 1 failed');
  console.error(`no vitest report at ${path}: ${error.message}`);
  process.exit(1);
}
// A test file that failed to load has no test results: count it as a failure.
const brokenFiles = report.testResults.filter(
  (file) => file.status === 'failed' && file.assertionResults.length === 0,
);
const failed = report.numFailedTests + brokenFiles.length;
const passed = report.numPassedTests;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
