import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import './grid.css';
import './panels.css';
import './home.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
mount(App, { target });
