import type { MapTemplate } from './template.js';

export const buyerJourneyTemplate: MapTemplate = {
  id: 'buyer-journey',
  name: 'Buyer journey',
  description: 'From first hearing of you to recommending you: for B2B or B2C buyers across marketing, sales and success.',
  suggestedGoal: 'Where do good-fit buyers stall or drop out between first contact and advocacy, and what would move them forward?',
  stages: ['Awareness', 'Consideration', 'Decision', 'Purchase', 'Onboarding', 'Use & retention', 'Advocacy'],
  lanes: [
    { title: 'Customer goals', kind: 'goals' },
    { title: 'Actions', kind: 'actions' },
    { title: 'Touchpoints', kind: 'touchpoints' },
    { title: 'Channels', kind: 'channels' },
    { title: 'Thinking', kind: 'thoughts' },
    { title: 'Feeling', kind: 'emotions' },
    { title: 'Pain points', kind: 'painPoints' },
    { title: 'Opportunities', kind: 'opportunities' },
    { title: 'Backstage & owners', kind: 'backstage' },
    { title: 'KPIs', kind: 'kpis' },
  ],
  personas: [
    {
      name: 'Evaluating buyer',
      description: 'Operations lead at a 200-person company, comparing three vendors for their team.',
      goals: 'Pick a tool the team will actually adopt, without a long procurement fight.',
      frustrations: 'Pricing hidden behind sales calls; demos that do not match their use case.',
      colour: '#0ea5e9',
    },
  ],
};
