import { defineSpecSuite } from './unified/defineSpecSuite.js';

// "Core" = the files about the change stream itself (events, pipeline, errors, cluster time); the
// others test pre/post images, expanded DDL events and fail-point-driven resumes.
defineSpecSuite({
  suite: 'change-streams',
  minPassRate: 0.9,
  coreFiles: ['change-streams.json', 'change-streams-errors.json', 'change-streams-clusterTime.json'],
});
