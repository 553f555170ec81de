"""The award dossier a cluster sends to the Ministry, and the Ministry's award decisions."""
