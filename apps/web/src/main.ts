import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import './overlays.css';
import './share-panel.css';
import './map-frame.css';
import './grid.css';
import './cards.css';
import './emotion-curve.css';
import './panels.css';
import './home.css';
import './keyboard.css';
import './history.css';
import './responsive.css';
import './print.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
mount(App, { target });
