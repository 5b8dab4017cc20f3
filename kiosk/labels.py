"""Words shown to people for the codes the app stores: statuses, what an officer asks to fix, business kinds,
scales and risk groups. One table each, used by every screen that names them."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "submitted": _l("Diterima"),
    "verified": _l("Diverifikasi"),
    "active": _l("Aktif"),
    "needs_fix": _l("Perlu perbaikan"),
    "rejected": _l("Ditolak"),
}
# What an officer can ask to fix (kiosk.services.workflow.FIX_SECTIONS), named as the kiosk's steps are.
FIX_SECTION_LABELS = {
    "identity": _l("Data diri"),
    "contact": _l("Kontak dan alamat"),
    "work": _l("Pekerjaan"),
    "program": _l("Program dan iuran"),
}
BUSINESS_KINDS = {"umkm": _l("UMKM"), "koperasi": _l("Koperasi")}
SCALE_LABELS = {"mikro": _l("Mikro"), "kecil": _l("Kecil"), "menengah": _l("Menengah")}
RISK_LABELS = {
    1: (_l("Sangat rendah"), _l("Contoh: toko, warung, kantor, salon, penjahit.")),
    2: (_l("Rendah"), _l("Contoh: rumah makan, laundry, bengkel sepeda motor, percetakan kecil.")),
    3: (_l("Sedang"), _l("Contoh: pertanian, peternakan, gudang, industri rumahan dengan mesin.")),
    4: (_l("Tinggi"), _l("Contoh: bengkel las, angkutan barang, perikanan laut, penggergajian kayu.")),
    5: (_l("Sangat tinggi"), _l("Contoh: konstruksi bangunan, tambang, penebangan hutan, bahan kimia.")),
}
# Who pays the contribution (kiosk.services.contributions.PAYERS).
PAYER_LABELS = {
    "self": _l("Peserta sendiri"),
    "APBD": _l("Pemerintah daerah (APBD)"),
    "APBN": _l("Pemerintah pusat (APBN)"),
}
# How an active member pays (kiosk/services/paying.toml names the channels and places by these keys).
PAYMENT_CHANNELS = {
    "bank": _l("Bank"),
    "minimarket": _l("Minimarket"),
    "ewallet": _l("Dompet digital"),
    "marketplace": _l("Toko online"),
    "app": _l("Aplikasi"),
    "autodebit": _l("Autodebet dari rekening bank"),
}
PLACES = {
    "app": _l("aplikasi %(app)s"),
    "branch": _l("kantor cabang BPJS Ketenagakerjaan"),
    "call_centre": _l("layanan telepon %(number)s"),
    "sms": _l("SMS"),
}
