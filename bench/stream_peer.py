"""The seed-shaped Python peer of `inflow stream` for bench/stream.ts: a Kafka consumer-group member
(confluent-kafka, i.e. librdkafka) that classifies with scikit-learn's TF-IDF + logistic regression
and produces routed tickets, with the same delivery contract as Inflow's router: idempotent
producer, offsets committed only after the routed records are acknowledged (flush), batches of 500.

The model is the one bench/api_peer.py loads (API_PEER_MODEL, exported from Inflow's fixture model),
so both sides hold identical parameters.

Run: API_PEER_MODEL=params.json .venv/bin/python bench/stream_peer.py <brokers> <in> <out> <group> <count>
Prints one JSON line when <count> records have been routed and committed.
"""

import json
import sys
import time

from confluent_kafka import Consumer, Producer

from api_peer import classifier, params, review_threshold, topics, vectorizer, version

brokers, topic_in, topic_out, group, count = sys.argv[1:6]
count = int(count)

consumer = Consumer(
    {
        "bootstrap.servers": brokers,
        "group.id": group,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
    }
)
producer = Producer({"bootstrap.servers": brokers, "enable.idempotence": True, "linger.ms": 5})
consumer.subscribe([topic_in])

routed = 0
first = None
while routed < count:
    messages = consumer.consume(num_messages=500, timeout=0.5)
    if not messages:
        continue
    if first is None:
        first = time.monotonic()
    tickets = []
    for message in messages:
        if message.error():
            raise RuntimeError(message.error())
        tickets.append(json.loads(message.value()))
    proba = classifier.predict_proba(vectorizer.transform([t["text"] for t in tickets]))
    best = proba.argmax(axis=1)
    for i, ticket in enumerate(tickets):
        topic_id = params["classTopics"][int(best[i])]
        topic = topics.get(topic_id, {"name": f"topic {topic_id}", "department": "Unrouted"})
        confidence = float(proba[i, best[i]])
        value = {
            "id": ticket["id"],
            "topic_id": topic_id,
            "topic": topic["name"],
            "department": topic["department"],
            "confidence": confidence,
            "needs_review": confidence < review_threshold,
            "model_version": version,
        }
        producer.produce(topic_out, key=str(ticket["id"]), value=json.dumps(value))
    producer.flush()
    consumer.commit(asynchronous=False)
    routed += len(tickets)

print(json.dumps({"routed": routed, "seconds": time.monotonic() - first}))
consumer.close()
