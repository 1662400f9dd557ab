package dev.headroom.workload.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summarize corpus: every listed document exists on the classpath and is 300..3000 cl100k_base tokens. */
class CorpusDocumentsTest {

    private static final String DIR = "/dev/headroom/workload/corpus/";
    private static final Encoding CL100K =
            Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private static String resource(String name) throws IOException {
        try (InputStream in = CorpusDocumentsTest.class.getResourceAsStream(DIR + name)) {
            assertThat(in).as("corpus resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> index() throws IOException {
        return resource("index.txt").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void indexListsAtLeastTwelveDistinctTextFiles() throws IOException {
        List<String> names = index();
        assertThat(names).hasSizeGreaterThanOrEqualTo(12).doesNotHaveDuplicates();
        assertThat(names).allMatch(n -> n.matches("\\d\\d-[a-z0-9-]+\\.txt"));
    }

    private static List<Integer> tokenCounts() throws IOException {
        List<Integer> counts = new java.util.ArrayList<>();
        for (String name : index()) counts.add(CL100K.countTokens(resource(name)));
        return counts;
    }

    @Test
    void everyDocumentIsBetween300And3000Tokens() throws IOException {
        List<String> names = index();
        List<Integer> tokens = tokenCounts();
        for (int i = 0; i < names.size(); i++) {
            assertThat(tokens.get(i)).as("cl100k tokens of %s", names.get(i)).isBetween(300, 3000);
        }
    }

    @Test
    void lengthsSpreadAcrossTheRange() throws IOException {
        List<Integer> tokens = tokenCounts();
        assertThat(tokens.stream().filter(t -> t < 900).count()).as("short documents").isGreaterThanOrEqualTo(3);
        assertThat(tokens.stream().filter(t -> t >= 1000 && t < 2000).count()).as("mid documents").isGreaterThanOrEqualTo(3);
        assertThat(tokens.stream().filter(t -> t >= 2100).count()).as("long documents").isGreaterThanOrEqualTo(2);
    }

    @Test
    void noDocumentRepeatsAParagraph() throws IOException {
        for (String name : index()) {
            List<String> paragraphs = List.of(resource(name).split("\\n\\s*\\n")).stream()
                    .map(String::strip).filter(p -> p.length() > 80).toList();
            assertThat(paragraphs).as("paragraphs of %s", name).doesNotHaveDuplicates();
        }
    }
}
