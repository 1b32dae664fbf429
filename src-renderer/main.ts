/** Renderer entry: one AppState for the window, the App component, global styles. */
import { mount } from 'svelte';
import 'katex/dist/katex.min.css';
import '@xyflow/svelte/dist/style.css';
import './styles/app.css';
import App from './App.svelte';
import { AppState } from './state/app.svelte.ts';

const app = new AppState();
mount(App, { target: document.getElementById('app')!, props: { app } });
void app.start();
