import { defineSpecSuite } from './unified/defineSpecSuite.js';

// MongoDB's CRUD unified spec tests through the real driver; the target is 90% of the applicable tests.
defineSpecSuite({ suite: 'crud', minPassRate: 0.9 });
