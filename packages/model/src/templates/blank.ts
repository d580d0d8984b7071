import type { MapTemplate } from './template.js';

export const blankTemplate: MapTemplate = {
  id: 'blank',
  name: 'Blank map',
  description: 'An empty map for teams that already know their stages and lanes.',
  suggestedGoal: '',
  stages: [],
  lanes: [],
  personas: [],
};
