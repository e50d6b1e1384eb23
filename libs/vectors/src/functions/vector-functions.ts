export * from './search-functions.js';
