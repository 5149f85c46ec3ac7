// The admin forms' helpers, all optional (every form works without them): live preview, templates, reference check, resolve.
(function () {
  'use strict'

  const emptyPreview = '<p class="muted">Nothing to show yet: type a message.</p>'

  function csrfOf (form) {
    const input = form.querySelector('input[name="_csrf"]')
    return input === null ? '' : input.value
  }

  function valueOf (form, selector, fallback) {
    const field = form.querySelector(selector)
    return field === null ? fallback : field.value
  }

  // Live preview: the server renders the body as the page will and composes the post, so both match what is sent.
  function setUpPreview (form) {
    const source = form.querySelector('[data-preview-source]')
    const panel = form.querySelector('[data-preview]')
    if (source === null || panel === null) return
    const html = panel.querySelector('[data-preview-html]')
    const post = panel.querySelector('[data-preview-post]')
    const count = panel.querySelector('[data-preview-count]')
    const note = panel.querySelector('[data-preview-note]')
    const isNew = form.hasAttribute('data-new-incident')
    let timer = null
    let sequence = 0

    function payload () {
      const components = []
      if (isNew) {
        form.querySelectorAll('select[name^="component-"]').forEach(function (select) {
          if (select.value !== '') components.push(select.name.slice('component-'.length))
        })
      }
      return {
        body: source.value,
        // A form without a status field (scheduling a maintenance) names the status its update gets.
        status: valueOf(form, '[data-status]', form.getAttribute('data-preview-status') || 'investigating'),
        name: valueOf(form, 'input[name="name"]', form.getAttribute('data-name') || ''),
        reference: valueOf(form, 'input[name="reference"]', form.getAttribute('data-reference') || ''),
        postText: valueOf(form, 'textarea[name="postText"]', ''),
        components
      }
    }

    function show (data) {
      // The HTML was sanitized on the server (the same renderer as the public page).
      html.innerHTML = data.html === '' ? emptyPreview : data.html
      post.textContent = data.post.text
      count.textContent = data.post.weightedLength + ' / ' + data.post.limit
      count.classList.toggle('is-over', data.post.shortened)
      note.textContent = data.post.shortened
        ? 'The whole text weighs ' + data.post.fullWeightedLength + ' of ' + data.post.limit + ': the post is shortened to fit, and links to the update.'
        : ''
    }

    function refresh () {
      const mine = ++sequence
      fetch('/admin/preview', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfOf(form) },
        body: JSON.stringify(payload())
      }).then(function (response) {
        if (!response.ok) throw new Error('preview answered ' + response.status)
        return response.json()
      }).then(function (data) {
        // An answer to an older keystroke may arrive last: only the newest is shown.
        if (mine === sequence) show(data)
      }).catch(function () {
        if (mine === sequence) note.textContent = 'The live preview is not available right now; the Preview button still works.'
      })
    }

    function schedule () {
      clearTimeout(timer)
      timer = setTimeout(refresh, 300)
    }
    form.addEventListener('input', schedule)
    form.addEventListener('change', schedule)
    if (source.value !== '') refresh()
  }

  // Templates: fill the name and the message in place (without a script, the picker's GET form does it).
  function setUpTemplatePicker (picker, form) {
    picker.addEventListener('change', function () {
      const option = picker.options[picker.selectedIndex]
      if (option === undefined || option.value === '') return
      const name = form.querySelector('input[name="name"]')
      const body = form.querySelector('textarea[name="body"]')
      const chosen = form.querySelector('input[name="template"]')
      const typed = name.value.trim() !== '' || body.value.trim() !== ''
      if (typed && !window.confirm('Replace the name and the message with the template “' + option.text + '”?')) return
      name.value = option.getAttribute('data-title')
      body.value = option.getAttribute('data-body')
      if (chosen !== null) chosen.value = option.value
      // The presets it has; what it leaves unset stays as the form has it.
      const presets = [['status', option.getAttribute('data-status')], ['impact', option.getAttribute('data-impact')]]
      let components = {}
      try { components = JSON.parse(option.getAttribute('data-components') || '{}') } catch (err) {}
      for (const field in components) presets.push([field, components[field]])
      presets.forEach(function (preset) {
        const select = form.querySelector('select[name="' + preset[0] + '"]')
        if (select === null || !preset[1]) return
        select.value = preset[1]
        select.dispatchEvent(new Event('change', { bubbles: true }))
      })
      body.dispatchEvent(new Event('input', { bubbles: true }))
    })
  }

  // References: say while typing whether one is free; the server checks again when the form is sent.
  function setUpReferenceCheck (input) {
    const message = document.querySelector('[data-reference-message]')
    let timer = null
    let refused = null
    function check () {
      const reference = input.value.trim()
      fetch(input.getAttribute('data-reference-check') + '?reference=' + encodeURIComponent(reference), {
        credentials: 'same-origin', headers: { accept: 'application/json' }
      }).then(function (response) {
        return response.ok ? response.json() : null
      }).then(function (data) {
        if (data === null || input.value.trim() !== reference) return
        refused = data.ok ? null : reference
        if (message !== null) {
          message.textContent = data.message
          message.classList.toggle('field-error', !data.ok)
        }
        if (data.ok) input.removeAttribute('aria-invalid')
        else input.setAttribute('aria-invalid', 'true')
      }).catch(function () {})
    }
    input.addEventListener('input', function () {
      clearTimeout(timer)
      timer = setTimeout(check, 350)
    })
    input.form.addEventListener('submit', function (event) {
      const previewing = event.submitter && event.submitter.name === 'preview'
      if (!previewing && refused !== null && refused === input.value.trim()) {
        event.preventDefault()
        input.focus()
      }
    })
  }

  // Resolving proposes the affected components back to operational, and un-proposes them when the status changes back.
  function setUpResolveProposal (status) {
    const form = status.form
    const hint = document.querySelector('[data-resolve-hint]')
    let proposed = []
    status.addEventListener('change', function () {
      const resolving = status.value === 'resolved'
      form.querySelectorAll('select[data-affected]').forEach(function (select) {
        const was = select.getAttribute('data-was')
        if (resolving && select.value === was && was !== 'operational') {
          select.value = 'operational'
          proposed.push(select)
        } else if (!resolving && proposed.indexOf(select) !== -1 && select.value === 'operational') {
          select.value = was
        }
      })
      if (!resolving) proposed = []
      if (hint !== null) hint.hidden = !resolving
    })
  }

  document.querySelectorAll('form[data-preview-form]').forEach(setUpPreview)
  const picker = document.querySelector('select[data-template-picker]')
  const newIncident = document.querySelector('form[data-new-incident]')
  if (picker !== null && newIncident !== null) setUpTemplatePicker(picker, newIncident)
  document.querySelectorAll('input[data-reference-check]').forEach(setUpReferenceCheck)
  document.querySelectorAll('select[data-propose-resolve]').forEach(setUpResolveProposal)
})()
