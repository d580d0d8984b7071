import type { MapTemplate } from './template.js';

/**
 * The path of a lead from first contact to a sales conversation, the fifth of the journey-map
 * templates HubSpot publishes (buyer's journey, onboarding, retention, support, lead nurturing).
 */
export const leadNurturingTemplate: MapTemplate = {
  id: 'lead-nurturing',
  name: 'Lead nurturing',
  description: 'From first contact to a sales-ready conversation: what a lead needs at each step, and where marketing and sales lose them.',
  suggestedGoal:
    'Which leads go cold between first contact and a sales conversation, and what content or contact at which step would keep them moving?',
  stages: ['First contact', 'Subscribe or sign up', 'Learn & compare', 'Show intent', 'Marketing qualified', 'Sales conversation'],
  lanes: [
    { title: 'Lead goals', kind: 'goals' },
    { title: 'Actions', kind: 'actions' },
    { title: 'Content & touchpoints', kind: 'touchpoints' },
    { title: 'Channels', kind: 'channels' },
    { title: 'Thinking', kind: 'thoughts' },
    { title: 'Feeling', kind: 'emotions' },
    { title: 'Pain points', kind: 'painPoints' },
    { title: 'Opportunities', kind: 'opportunities' },
    { title: 'Backstage & owners (marketing, SDR, sales)', kind: 'backstage' },
    { title: 'KPIs (open rate, MQL→SQL, time to contact)', kind: 'kpis' },
  ],
  personas: [
    {
      name: 'Curious researcher',
      description: 'Downloaded a guide while researching a problem; not yet sure they need to buy anything.',
      goals: 'Understand the problem and the options before talking to anyone who sells.',
      frustrations: 'Generic drip emails, being called by sales the day after a download, forms that ask too much.',
      colour: '#a855f7',
    },
  ],
};
