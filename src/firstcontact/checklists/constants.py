"""Names the interview data, the worker profile and the command line share, kept in a module
with no imports so that `firstcontact --help` loads nothing heavy."""

# NRM form field -> the worker profile's attribute that answers it (app/profile.py).
NRM_PROFILE_FIELDS = {"user-organisation": "organisation", "fr-details-first-name": "first_name",
                      "fr-details-last-name": "last_name", "fr-details-role": "role",
                      "fr-details-phone": "phone", "fr-alternative-contact": "email"}
NRM_FROM_PROFILE = tuple(NRM_PROFILE_FIELDS)
# Not an NRM field: the worker profile's answer to "is your organisation a specified public
# authority?" (the kind, or "none"), which the Duty to Notify's rules read.
PROFILE_PUBLIC_AUTHORITY = "fc-worker-public-authority"
# The kinds of service in the organisation's services directory.
SERVICE_KINDS = ("specialist-support", "legal", "advocate", "interpreter-agency",
                 "local-authority")
