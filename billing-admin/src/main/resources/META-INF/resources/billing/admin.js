/*
 * The copy buttons beside ids. The admin's Content-Security-Policy runs no inline event handler (PrimeFaces writes
 * its own scripts with the request's nonce; this file is the service's own, which 'self' allows), so one listener on
 * the document serves every button of every page. The button says whether the copy worked: green, or red when the
 * browser refused (select the id and copy it by hand then).
 */
(function () {
    'use strict';

    function copyByHand(text) {
        // Without the Clipboard API (a page not served over TLS from another host than localhost): a selected
        // textarea and the copy command.
        return new Promise(function (resolve, reject) {
            var area = document.createElement('textarea');
            area.value = text;
            area.setAttribute('readonly', '');
            area.className = 'copy-buffer';
            area.style.position = 'fixed';
            area.style.top = '-10rem';
            document.body.appendChild(area);
            area.select();
            var copied = false;
            try {
                copied = document.execCommand('copy');
            } catch (refused) {
                copied = false;
            }
            document.body.removeChild(area);
            if (copied) {
                resolve();
            } else {
                reject(new Error('copy refused'));
            }
        });
    }

    function copy(text) {
        if (navigator.clipboard && window.isSecureContext) {
            return navigator.clipboard.writeText(text).catch(function () {
                return copyByHand(text);
            });
        }
        return copyByHand(text);
    }

    function show(button, outcome, title) {
        button.classList.remove('copied', 'copy-failed');
        button.classList.add(outcome);
        button.setAttribute('title', title);
        window.setTimeout(function () {
            button.classList.remove(outcome);
            button.setAttribute('title', 'Copy');
        }, 2000);
    }

    document.addEventListener('click', function (event) {
        var button = event.target.closest ? event.target.closest('button.copy-id') : null;
        if (!button) {
            return;
        }
        event.preventDefault();
        copy(button.getAttribute('data-copy')).then(function () {
            show(button, 'copied', 'Copied');
        }, function () {
            show(button, 'copy-failed', 'The browser refused: select the id and copy it');
        });
    });
}());
