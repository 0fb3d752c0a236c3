import { defineSpecSuite } from './unified/defineSpecSuite.js';

// MongoDB's change-stream unified spec tests through the real driver: every applicable test must pass.
defineSpecSuite('change-streams');
