"""The case tallies: aggregate tables of counts that every case write keeps exact in its own
transaction (the flush listener installed here, and the two Core writers, intake and
workflow.persist). grassroots.stats reads them to compute the metrics."""

from grassroots.cases.tallies import maintain

maintain.install()
