"""Cases (矛盾纠纷 / 事件): registration, routing, mediation, escalation and closure."""
