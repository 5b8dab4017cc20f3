"""What the staff panels on the status pages show and offer (an application's, a business's): data for the
templates, for the signed-in staff member's role. No routes: the actions are posted to the status and staff
blueprints."""


def init_app(app):
    from kiosk.panels import business

    @app.context_processor
    def _business_panel_helper():
        # The public business page includes staff/business_panel.html with only `business` in hand:
        # the template asks for its panel through this.
        return {"business_panel_for": business.panel_context}
