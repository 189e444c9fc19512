"""The 指挥中心大屏 (big screen): wall PCs paired once with a one-time code, shown live
counters, a map and alerts of one jurisdiction, no personal data (docs/screens.md)."""
