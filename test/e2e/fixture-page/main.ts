// The fixture page's script: the same client module and stylesheet the Astro component loads.
import '../../../src/styles/terminal.css';
import '../../../src/client/terminal/lesson-terminal.js';
