import { defineSpecSuite } from './unified/defineSpecSuite.js';

// MongoDB's CRUD unified spec tests through the real driver: every applicable test must pass.
defineSpecSuite('crud');
