"""User-facing messages for the domain error codes raised by kiosk.services (translated per visit)."""

from flask_babel import lazy_gettext as _l

NIK = {
    "empty": _l("Isi NIK Anda (16 angka, ada di KTP)."),
    "chars": _l("NIK hanya berisi angka 0–9. Periksa lagi huruf atau tanda yang terketik."),
    "length": _l("NIK harus 16 angka. Periksa lagi di KTP Anda."),
    "province": _l("Dua angka pertama NIK bukan kode provinsi. Periksa lagi di KTP Anda."),
    "regency": _l("Angka ke-3 dan ke-4 NIK bukan kode kabupaten/kota. Periksa lagi di KTP Anda."),
    "birth_day": _l("Angka tanggal lahir di NIK (angka ke-7 dan ke-8) tidak mungkin. Periksa lagi."),
    "birth_month": _l("Angka bulan lahir di NIK (angka ke-9 dan ke-10) tidak mungkin. Periksa lagi."),
    "birth_date": _l("Tanggal lahir di NIK tidak ada di kalender. Periksa lagi."),
    "serial": _l("Empat angka terakhir NIK tidak boleh 0000. Periksa lagi."),
    "taken": _l("NIK ini sudah terdaftar dan sedang diproses atau sudah aktif."),
}

PHONE = {
    "empty": _l("Isi nomor HP Anda."),
    "invalid": _l("Nomor HP tidak dikenali. Contoh: 0812 3456 7890."),
    "not_mobile": _l("Ini nomor telepon rumah/kantor. Isi nomor HP (diawali 08)."),
}

NAME = {
    "empty": _l("Kolom ini wajib diisi."),
    "too_long": _l("Terlalu panjang (paling banyak %(max)s huruf)."),
    "chars": _l("Hanya huruf, spasi, titik, koma, tanda petik (') dan tanda hubung (-)."),
    "start": _l("Awali dengan huruf, bukan dengan tanda baca seperti - atau '."),
}

INCOME = {
    "empty": _l("Isi penghasilan Anda per bulan."),
    "not_number": _l("Tulis dengan angka saja. Contoh: 1500000."),
    "not_positive": _l("Penghasilan harus lebih dari 0."),
    "too_large": _l("Angka ini terlalu besar untuk penghasilan per bulan. Periksa lagi."),
    "confirm": _l("Penghasilan %(amount)s per bulan? Periksa lagi jumlah angka nolnya. Bila memang benar, centang "
                  "kotak di bawah lalu tekan Lanjut."),
}

# Age outside what the rules table allows (kiosk.services.eligibility).
AGE = {
    "bpu_refused": _l("Menurut NIK, umur Anda %(age)s tahun. Pendaftaran mandiri untuk umur %(low)s–%(high)s tahun. "
                      "Tanyakan petugas."),
    "bpu_warning": _l("Umur menurut NIK %(age)s tahun, di luar batas %(low)s–%(high)s tahun untuk peserta mandiri "
                      "(batas belum pasti). Periksa sebelum verifikasi."),
    "pu_warning": _l("Umur pekerja menurut NIK %(age)s tahun, di bawah %(low)s tahun (batas belum pasti). Periksa "
                     "sebelum verifikasi."),
}

WARNINGS = {
    "district_unknown": _l("Kode kecamatan di NIK tidak ada di data wilayah terbaru. Tidak apa-apa, petugas akan "
                           "memeriksanya."),
    "age_unusual": _l("Umur dari NIK tidak biasa untuk peserta. Pastikan NIK sudah benar."),
    "sex_differs": _l("Jenis kelamin berbeda dengan NIK. Tidak apa-apa, petugas akan memeriksanya."),
    "birth_date_differs": _l("Tanggal lahir berbeda dengan NIK. Tidak apa-apa, petugas akan memeriksanya."),
}
