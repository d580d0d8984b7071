import type { MapTemplate } from './template.js';

export const onboardingTemplate: MapTemplate = {
  id: 'onboarding',
  name: 'Customer onboarding',
  description: 'From sign-up to the first real value and a working habit: find where new customers get stuck.',
  suggestedGoal: 'How quickly and reliably do new customers reach their first real value, and where do they give up on the way?',
  stages: ['Sign-up', 'Welcome & setup', 'First use', 'First value', 'Habit forming'],
  lanes: [
    { title: 'Customer goals', kind: 'goals' },
    { title: 'Actions', kind: 'actions' },
    { title: 'Touchpoints', kind: 'touchpoints' },
    { title: 'Thinking', kind: 'thoughts' },
    { title: 'Feeling', kind: 'emotions' },
    { title: 'Pain points', kind: 'painPoints' },
    { title: 'Opportunities', kind: 'opportunities' },
    { title: 'Backstage & owners', kind: 'backstage' },
    { title: 'KPIs (activation, time to value)', kind: 'kpis' },
  ],
  personas: [
    {
      name: 'New account admin',
      description: 'Bought or was handed the product and has to set it up for their team.',
      goals: 'Get the team using it this week without needing to call support.',
      frustrations: 'Empty screens, unclear next steps, invitations that land in spam.',
      colour: '#22c55e',
    },
  ],
};
