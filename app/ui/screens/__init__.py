"""One module a screen. Screens show state and emit what the citizen chose; the controller
(app/ui/controller.py) decides what happens next. No business rules here."""
