// The RAG page: ingest a folder or bucket (a job polled for progress), ask, show passages and the answer.
const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'isthmus-rag-token';

/** fetch with the bearer token when one was given; shows the token box on 401. */
async function api(path, init = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { ...(init.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(path, { ...init, headers });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) $('token-section').hidden = false;
  if (!response.ok)
    throw new Error(
      body.error
        ? `${body.error.message} [${body.error.code ?? response.status}]`
        : `HTTP ${response.status}`,
    );
  return body;
}

function postJson(path, value) {
  return api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
}

function status(id, text, isError = false) {
  $(id).textContent = text;
  $(id).classList.toggle('error', isError);
}

async function loadInfo() {
  try {
    const info = await api('/info');
    $('table').textContent = info.table;
    $('answerer-mode').textContent =
      info.answerer.kind === 'chat'
        ? `chat model ${info.answerer.model}`
        : 'extractive (sentences of the passages)';
    $('token-section').hidden = true;
  } catch (error) {
    $('answerer-mode').textContent = error.message;
  }
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function sourceName(source) {
  return decodeURIComponent(source.replace(/\/+$/, '').split('/').pop());
}

$('token-save').addEventListener('click', () => {
  sessionStorage.setItem(TOKEN_KEY, $('token').value);
  void loadInfo();
});

$('ingest-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const bar = $('ingest-progress');
  $('ingest').disabled = true;
  bar.removeAttribute('value');
  status('ingest-status', 'starting…');
  try {
    let job = await postJson('/ingest', { source: $('source').value.trim() });
    while (job.state === 'ingesting' || job.state === 'indexing') {
      const progress = job.progress;
      if (job.state === 'indexing') {
        bar.value = 1;
        status('ingest-status', `building indexes (${job.report.chunks} chunks ingested)…`);
      } else if (progress && progress.units > 0) {
        bar.value = progress.unitsDone / progress.units;
        status(
          'ingest-status',
          `${progress.unitsDone}/${progress.units} documents, ${progress.chunks} chunks, ${progress.rowsCommitted} rows committed`,
        );
      }
      await wait(250);
      job = await api(`/ingest/${encodeURIComponent(job.id)}`);
    }
    if (job.state === 'failed')
      throw new Error(`${job.error.message}${job.error.code ? ` [${job.error.code}]` : ''}`);
    bar.value = 1;
    const seconds = ((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000).toFixed(1);
    status(
      'ingest-status',
      `done: ${job.report.units} documents, ${job.report.chunks} chunks (${job.report.inserted} new) in ${seconds} s`,
    );
    $('ingest-status').dataset.state = 'succeeded';
  } catch (error) {
    bar.value = 0;
    status('ingest-status', error.message, true);
    $('ingest-status').dataset.state = 'failed';
  } finally {
    $('ingest').disabled = false;
  }
});

$('ask-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('ask').disabled = true;
  status('ask-status', 'searching…');
  try {
    const result = await postJson('/answer', {
      question: $('question').value.trim(),
      mode: $('mode').value,
      k: Number($('k').value),
    });
    renderAnswer(result);
    renderPassages(result.hits);
    status('ask-status', `${result.hits.length} passages (${result.mode}) in ${result.ms} ms`);
  } catch (error) {
    status('ask-status', error.message, true);
  } finally {
    $('ask').disabled = false;
  }
});

function renderAnswer(result) {
  $('answer-section').hidden = false;
  $('answerer').textContent =
    result.answerer === 'chat' ? `from chat model ${result.model}` : 'extractive: sentences of the passages';
  $('answer').textContent = result.answer || '(no answer in the passages)';
}

function renderPassages(hits) {
  const list = $('passages');
  list.replaceChildren(
    ...hits.map((hit) => {
      const item = document.createElement('li');
      item.className = 'passage';
      item.dataset.source = hit.source;
      const source = document.createElement('span');
      source.className = 'source';
      source.textContent = sourceName(hit.source);
      source.title = hit.source;
      const score = document.createElement('span');
      score.className = 'score';
      score.textContent = `score ${hit.score.toFixed(4)}`;
      const heading = document.createElement('span');
      heading.className = 'heading';
      heading.textContent = hit.heading;
      const text = document.createElement('pre');
      text.textContent = hit.text;
      item.append(source, score, heading, text);
      return item;
    }),
  );
  $('passages-section').hidden = hits.length === 0;
}

void loadInfo();
