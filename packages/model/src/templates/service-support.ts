import type { MapTemplate } from './template.js';

export const serviceSupportTemplate: MapTemplate = {
  id: 'service-support',
  name: 'Service & support',
  description: 'What it is like to get help when something goes wrong, front stage and back office, from problem to follow-up.',
  suggestedGoal: 'How do customers experience getting help from us, and how do we resolve more issues on first contact?',
  stages: ['Problem occurs', 'Looks for help', 'Contacts us', 'Diagnosis', 'Resolution', 'Follow-up'],
  lanes: [
    { title: 'Actions', kind: 'actions' },
    { title: 'Channels', kind: 'channels' },
    { title: 'Touchpoints', kind: 'touchpoints' },
    { title: 'Thinking', kind: 'thoughts' },
    { title: 'Feeling', kind: 'emotions' },
    { title: 'Pain points', kind: 'painPoints' },
    { title: 'Front line & back office', kind: 'backstage' },
    { title: 'KPIs (FCR, time to resolve, CSAT)', kind: 'kpis' },
    { title: 'Opportunities', kind: 'opportunities' },
  ],
  personas: [
    {
      name: 'Customer with a problem',
      description: 'Something stopped working in the middle of their day; they need it fixed, not explained.',
      goals: 'Get back to work quickly and be told honestly how long it will take.',
      frustrations: 'Repeating the story to every agent, chatbots that loop, tickets closed without a fix.',
      colour: '#ef4444',
    },
  ],
};
