"""Post an admin page back as a browser would: every field as it was rendered."""

from django.forms import MultiWidget
from django.http import HttpResponse


def admin_page_data(response: HttpResponse) -> dict:
    """The main form's and every inline's fields (with management forms) of an admin
    change or revert page, as the browser would post them back unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue  # an empty field or an unticked box sends nothing
            widget = form.fields[name].widget
            if isinstance(widget, MultiWidget):  # the admin's date and time boxes
                for index, part in enumerate(widget.decompress(value)):
                    data[f"{form.add_prefix(name)}_{index}"] = part
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data
