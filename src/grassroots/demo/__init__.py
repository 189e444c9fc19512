"""The fictional demo county 示范县 (code prefix 99): geography, units, staff, later its cases."""
