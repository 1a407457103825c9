package io.statesys.fsp.forward;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.statesys.service.forwarding.ForwardedReports;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FSP's batches share a byte budget at the relay with the relay's own clients: together its
 * concurrent batches carry no more than {@code statesys.fsp.forward-inflight-bytes}, counted as the
 * relay counts them (the JSON body's length), and nothing is dropped, repeated or reordered by the split.
 */
class BatchBytesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theInflightBytesAreSharedByTheConcurrentBatchesWithAFloor() {
        assertThat(BatchTransport.batchBytes(4L << 20, 8)).isEqualTo(512 * 1024);
        assertThat(BatchTransport.batchBytes(4L << 20, 1)).isEqualTo(4L << 20);
        assertThat(BatchTransport.batchBytes(1024, 8)).isEqualTo(BatchTransport.MIN_BATCH_BYTES);
        assertThat(BatchTransport.batchBytes(4L << 20, 0)).as("a concurrency of 0 is one sender").isEqualTo(4L << 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34})
    void everyBatchFitsItsBytesAsSentUnlessOneReportAloneIsLargerAndEveryReportGoesOnceInOrder(long seed) throws Exception {
        Random r = new Random(seed);
        long batchBytes = BatchTransport.MIN_BATCH_BYTES + r.nextInt(256 * 1024);
        List<Object> deliveries = new ArrayList<>();
        Map<Object, ForwardedReports.Entry> entries = new IdentityHashMap<>();
        int reports = 50 + r.nextInt(600);
        for (int i = 0; i < reports; i++) {
            Object d = new Object();
            // mostly small reports, now and then one larger than a whole batch
            int size = r.nextInt(20) == 0 ? (int) batchBytes + r.nextInt(100_000) : 200 + r.nextInt(12_000);
            byte[] body = new byte[size];
            r.nextBytes(body);
            boolean signed = r.nextBoolean();
            entries.put(d, new ForwardedReports.Entry("text/xml; charset=utf-16", signed ? "gzip" : null,
                    signed ? "sha-256=:" + "A".repeat(44) + ":" : null,
                    signed ? "sig1=(\"@method\" \"@path\" \"content-digest\");created=1764720000;keyid=\"GUID:abc\"" : null,
                    signed ? "sig1=:" + "B".repeat(88) + ":" : null, body));
            deliveries.add(d);
        }

        List<List<Object>> batches = BatchTransport.split(deliveries, entries, batchBytes);

        assertThat(batches.stream().flatMap(List::stream).toList()).as("each once, in order").containsExactlyElementsOf(deliveries);
        for (List<Object> batch : batches) {
            assertThat(batch).hasSizeBetween(1, BatchTransport.BATCH_REPORTS);
            List<ForwardedReports.Entry> sent = batch.stream().map(entries::get).toList();
            long asSent = JSON.writeValueAsBytes(new ForwardedReports(sent)).length;
            assertThat(sent.stream().mapToLong(BatchTransport::sentBytes).sum()).as("counted no lower than sent").isGreaterThanOrEqualTo(asSent);
            if (batch.size() > 1) {
                assertThat(asSent).as("a batch of %d reports", batch.size()).isLessThanOrEqualTo(batchBytes);
            }
        }
    }
}
