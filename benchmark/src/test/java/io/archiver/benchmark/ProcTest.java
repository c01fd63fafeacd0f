package io.archiver.benchmark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcTest {

    private static final String MACHINE = "/usr/sbin/mariadbd";
    private static final String PRIVATE = "/usr/sbin/mariadbd --no-defaults --datadir=/tmp/srv-db/data --port=3407 --socket=/tmp/srv-db.sock";

    @Test
    void withoutAPortTheMachinesServerIsTheOneWithoutADataDir() {
        assertTrue(Proc.isMysqlServer(MACHINE, null));
        assertTrue(Proc.isMysqlServer("mysqld --user=mysql", ""));
        assertTrue(Proc.isMysqlServer(MACHINE, "3306"));
        assertFalse(Proc.isMysqlServer(PRIVATE, null));
        assertFalse(Proc.isMysqlServer("java -cp x MySqlNodeMain 127.0.0.1 3306", null));
    }

    @Test
    void withAPortTheServerIsTheOneNamingIt() {
        assertTrue(Proc.isMysqlServer(PRIVATE, "3407"));
        assertTrue(Proc.isMysqlServer("/usr/sbin/mysqld --datadir /d --port 3407", "3407"));
        assertFalse(Proc.isMysqlServer(MACHINE, "3407"));
        assertFalse(Proc.isMysqlServer(PRIVATE, "3408"));
        assertFalse(Proc.isMysqlServer("/usr/sbin/mariadbd --port=34070", "3407"));
    }
}
