"""Receipt QR codes as inline SVG (qrcode's path factory: no Pillow, crisp on thermal printers)."""

import qrcode
import qrcode.image.svg
from markupsafe import escape
from qrcode.constants import ERROR_CORRECT_M


def qr_svg(data: str, *, title: str = "QR") -> str:
    """Return an <svg> element encoding data, sized by CSS (width/height attributes removed).

    Error correction M survives a crease or a faded corner of a thermal print.
    """
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage,
                        error_correction=ERROR_CORRECT_M, border=4)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace('width="', 'data-w="', 1).replace('height="', 'data-h="', 1)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" class="qr" ', 1)
