package dev.headroom.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The Jib configuration of headroom's image, checked without building it (base images cannot be pulled here): the
 * image the load Job names by default, headroom's main class behind Jib's classpath file (the load Job's shell calls
 * both), a base with a shell, and no binding to the build's phases. docs/kubernetes.md shows the offline check that
 * builds the image on Jib's empty base ({@code -Djib.from.image=scratch}).
 */
class JibConfigTest {

    @Test
    void theImageIsHeadroomOnAJavaBaseWithAShellAndBuiltOnlyWhenAsked() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document pom = f.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        XPath x = XPathFactory.newInstance().newXPath();
        String jib = "/*[local-name()='project']/*[local-name()='build']/*[local-name()='plugins']"
                + "/*[local-name()='plugin'][*[local-name()='artifactId']='jib-maven-plugin']";
        String version = x.evaluate("/*[local-name()='project']/*[local-name()='version']", pom);

        assertThat(x.evaluate(jib + "/*[local-name()='version']", pom)).isEqualTo("3.5.2");
        assertThat(x.evaluate("count(" + jib + "/*[local-name()='executions'])", pom)).isEqualTo("0");
        String config = jib + "/*[local-name()='configuration']";
        assertThat(x.evaluate(config + "/*[local-name()='from']/*[local-name()='image']", pom)).isEqualTo("eclipse-temurin:21-jre");
        assertThat(x.evaluate(config + "/*[local-name()='to']/*[local-name()='image']", pom).replace("${project.version}", version))
                .isEqualTo(FleetSpec.HEADROOM_IMAGE);
        assertThat(x.evaluate(config + "/*[local-name()='container']/*[local-name()='mainClass']", pom))
                .isEqualTo("dev.headroom.cli.Headroom");
        assertThat(Manifests.script()).contains("java -cp @/app/jib-classpath-file dev.headroom.cli.Headroom");
    }
}
