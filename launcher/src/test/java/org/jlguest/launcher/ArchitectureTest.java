package org.jlguest.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of ARCHITECTURE.md, checked on the compiled product classes. */
class ArchitectureTest {
    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.jlguest");
    }

    @Test
    void mmuDependsOnNothingOfOurs() {
        classes().that().resideInAPackage("org.jlguest.mmu..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages(
                        "org.jlguest.cpu..", "org.jlguest.host..", "org.jlguest.launcher..", "org.jlguest.testdata..")
                .check(product);
    }

    @Test
    void cpuDependsOnlyOnMmu() {
        classes().that().resideInAPackage("org.jlguest.cpu..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages(
                        "org.jlguest.host..", "org.jlguest.launcher..", "org.jlguest.testdata..")
                .check(product);
    }

    @Test
    void hostNeverReachesTheLauncher() {
        noClasses().that().resideInAPackage("org.jlguest.host..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jlguest.launcher..", "org.jlguest.testdata..")
                .allowEmptyShould(true)
                .check(product);
    }

    @Test
    void productCodeNeverUsesTestData() {
        noClasses().that().resideInAnyPackage("org.jlguest.mmu..", "org.jlguest.cpu..", "org.jlguest.host..", "org.jlguest.launcher..")
                .should().dependOnClassesThat().resideInAPackage("org.jlguest.testdata..")
                .check(product);
    }

    @Test
    void onlyTheCliTalksToTheTerminalOrEndsTheProcess() {
        noClasses().that().resideInAnyPackage("org.jlguest.mmu..", "org.jlguest.cpu..", "org.jlguest.host..", "org.jlguest.launcher..")
                .and().resideOutsideOfPackage("org.jlguest.launcher.cli..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().callMethod(System.class, "exit", int.class)
                .check(product);
    }
}
