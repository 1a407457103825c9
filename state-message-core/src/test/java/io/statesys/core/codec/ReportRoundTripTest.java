package io.statesys.core.codec;

import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ReportRoundTripTest {
    private final ReportReader reader = new ReportReader();

    @Property(tries = 300)
    void whatTheWriterWritesTheReaderReadsBack(@ForAll("reports") Report report, @ForAll XmlEncoding encoding) {
        assertThat(reader.read(ReportWriter.write(report, encoding))).isEqualTo(report);
    }

    @Provide
    Arbitrary<Report> reports() {
        Arbitrary<Machine> machine = Combinators.combine(
                Arbitraries.create(UUID::randomUUID),
                Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(15).injectNull(0.1),
                Arbitraries.of(437, 850, 1252).injectNull(0.2),
                Arbitraries.of(1033, 1031).injectNull(0.2))
                .as((id, name, cp, lcid) -> new Machine(id, name, "5.00.9128.1000", cp, lcid));
        Arbitrary<StateMessage> message = Combinators.combine(
                times(),
                Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.of(300, 301, 302, 400, 401, 402, 500, 501, 700, 800, 9003, -1),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(64).alpha().numeric().withChars("-_{}.&<>\"' é漢"),
                Arbitraries.integers().between(0, 600),
                Arbitraries.integers(),
                Arbitraries.integers().between(0, 5),
                Arbitraries.strings().alpha().numeric().withChars(" &<>").ofMaxLength(20)
                        .filter(s -> s.equals(s.trim())).list().ofMaxSize(4))
                .as(StateMessage::new)
                .filter(m -> !m.topicId().isBlank());
        return Combinators.combine(machine, times().injectNull(0.2), message.list().ofMinSize(1).ofMaxSize(30))
                .as((m, date, msgs) -> new Report(m, "Full", date, msgs));
    }

    private static Arbitrary<Instant> times() {
        return Arbitraries.longs().between(0, 4_102_444_800L * 1_000_000L)
                .map(micros -> Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
    }
}
