"""``planforge serve``: a local web app for writing a spec in a form and downloading the documents.

The app (``planforge.serve.app``) is a Starlette application over the same library calls as the
command line; ``planforge.serve.workspace`` keeps each request's build in its own temporary
folder. The page (``static/``) is plain HTML, CSS and JavaScript shipped in the package: it
works offline and loads nothing from the internet.
"""


def create_app(*args, **kwargs):
    """Build the Starlette app (see ``planforge.serve.app.create_app``)."""
    from planforge.serve.app import create_app as make

    return make(*args, **kwargs)
