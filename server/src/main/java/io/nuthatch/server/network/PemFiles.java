package io.nuthatch.server.network;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files OpenSSL writes, as redis-server accepts them, with the JDK alone: certificate
 * chains, and private keys in every form {@code openssl} produces: PKCS#8 ("PRIVATE KEY"), PKCS#1
 * RSA ("RSA PRIVATE KEY"), SEC1 EC ("EC PRIVATE KEY"), encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY",
 * PBES2 as OpenSSL 3 writes it) and the traditional encrypted form (Proc-Type: 4,ENCRYPTED with
 * DEK-Info, OpenSSL's {@code -traditional}).
 *
 * <p>The JDK's key factories take PKCS#8 only, so the PKCS#1 and SEC1 forms are wrapped into a
 * PKCS#8 structure (an algorithm identifier before the same bytes) rather than parsed field by field.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ENCRYPTION_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 1, 1};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 2, 1};
    private static final int DER_SEQUENCE = 0x30;
    private static final int DER_INTEGER = 0x02;
    private static final int DER_OCTET_STRING = 0x04;
    private static final int DER_NULL = 0x05;
    private static final int DER_OID = 0x06;
    private static final int DER_CONTEXT_0 = 0xa0;

    private PemFiles() {
    }

    /** The certificates of a PEM file, the leaf first; fails when there are none. */
    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (var certificate : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
            chain.add((X509Certificate) certificate);
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in the file");
        }
        return chain;
    }

    /** The first private key of a PEM file, decrypted with the pass phrase when it is encrypted. */
    static PrivateKey privateKey(Path file, String passPhrase) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            if (type.endsWith("PRIVATE KEY")) {
                return privateKey(type, block.group(2), passPhrase);
            }
        }
        throw new GeneralSecurityException("no PEM private key in the file");
    }

    private static PrivateKey privateKey(String type, String body, String passPhrase) throws GeneralSecurityException {
        Headers headers = Headers.split(body);
        byte[] der = Base64.getMimeDecoder().decode(headers.base64);
        if (headers.encrypted) {
            der = decryptTraditional(der, headers.dekInfo, requirePassPhrase(passPhrase));
        }
        return switch (type) {
            case "PRIVATE KEY" -> pkcs8(der);
            case "ENCRYPTED PRIVATE KEY" -> pkcs8(decryptPkcs8(der, requirePassPhrase(passPhrase)));
            case "RSA PRIVATE KEY" -> pkcs8(wrap(der, sequence(oid(RSA_ENCRYPTION_OID), new byte[] {DER_NULL, 0})));
            case "EC PRIVATE KEY" -> pkcs8(wrap(der, sequence(oid(EC_PUBLIC_KEY_OID), curveOf(der))));
            default -> throw new GeneralSecurityException("unsupported key type " + type);
        };
    }

    private static String requirePassPhrase(String passPhrase) throws GeneralSecurityException {
        if (passPhrase == null || passPhrase.isEmpty()) {
            throw new GeneralSecurityException("the key is encrypted and tls-key-file-pass is not set");
        }
        return passPhrase;
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("not a private key the JDK reads (" + last.getMessage() + ")");
    }

    private static byte[] decryptPkcs8(byte[] der, String passPhrase) throws GeneralSecurityException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgName();
            if (algorithm.equals("PBES2") || algorithm.equals("1.2.840.113549.1.5.13")) {
                // JDK 17 names PBES2 alone; its parameters name the full scheme ("PBEWithHmacSHA256AndAES_256").
                algorithm = info.getAlgParameters().toString();
            }
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(passPhrase.toCharArray())),
                    info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (IOException e) {
            throw new GeneralSecurityException("malformed encrypted key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("cannot decrypt the key (wrong tls-key-file-pass?): " + e.getMessage(), e);
        }
    }

    /**
     * OpenSSL's traditional encryption: the key and IV derive from the pass phrase and the IV's first
     * 8 bytes by EVP_BytesToKey with MD5 and one iteration.
     */
    private static byte[] decryptTraditional(byte[] der, String dekInfo, String passPhrase) throws GeneralSecurityException {
        if (dekInfo == null) {
            throw new GeneralSecurityException("encrypted key without DEK-Info");
        }
        String[] parts = dekInfo.split(",");
        String algorithm = parts[0].trim().toUpperCase(Locale.ROOT);
        byte[] iv = HexFormat.of().parseHex(parts[1].trim());
        String transformation;
        String keyAlgorithm;
        int keyLength;
        switch (algorithm) {
            case "AES-128-CBC" -> { transformation = "AES/CBC/PKCS5Padding"; keyAlgorithm = "AES"; keyLength = 16; }
            case "AES-192-CBC" -> { transformation = "AES/CBC/PKCS5Padding"; keyAlgorithm = "AES"; keyLength = 24; }
            case "AES-256-CBC" -> { transformation = "AES/CBC/PKCS5Padding"; keyAlgorithm = "AES"; keyLength = 32; }
            case "DES-EDE3-CBC" -> { transformation = "DESede/CBC/PKCS5Padding"; keyAlgorithm = "DESede"; keyLength = 24; }
            default -> throw new GeneralSecurityException("unsupported key encryption " + algorithm);
        }
        byte[] salt = java.util.Arrays.copyOf(iv, 8);
        byte[] key = bytesToKey(passPhrase.getBytes(StandardCharsets.UTF_8), salt, keyLength);
        Cipher cipher = Cipher.getInstance(transformation);
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlgorithm), new IvParameterSpec(iv));
        try {
            return cipher.doFinal(der);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("cannot decrypt the key (wrong tls-key-file-pass?)", e);
        }
    }

    private static byte[] bytesToKey(byte[] pass, byte[] salt, int length) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        while (key.size() < length) {
            md5.update(previous);
            md5.update(pass);
            md5.update(salt);
            previous = md5.digest();
            key.writeBytes(previous);
        }
        return java.util.Arrays.copyOf(key.toByteArray(), length);
    }

    /** The named curve of a SEC1 key: the OID in its [0] parameters. */
    private static byte[] curveOf(byte[] sec1) throws GeneralSecurityException {
        DerReader key = new DerReader(sec1);
        DerReader fields = key.enter(DER_SEQUENCE);
        fields.skip(DER_INTEGER);
        fields.skip(DER_OCTET_STRING);
        if (fields.atEnd() || fields.peekTag() != DER_CONTEXT_0) {
            throw new GeneralSecurityException("EC key without its curve parameters");
        }
        DerReader parameters = fields.enter(DER_CONTEXT_0);
        return parameters.element(DER_OID);
    }

    /** PrivateKeyInfo: version 0, the algorithm identifier, the algorithm's own key as an octet string. */
    private static byte[] wrap(byte[] key, byte[] algorithmIdentifier) {
        return sequence(new byte[] {DER_INTEGER, 1, 0}, algorithmIdentifier, element(DER_OCTET_STRING, key));
    }

    private static byte[] oid(byte[] content) {
        return element(DER_OID, content);
    }

    private static byte[] sequence(byte[]... elements) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] element : elements) {
            content.writeBytes(element);
        }
        return element(DER_SEQUENCE, content.toByteArray());
    }

    private static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** The RFC 1421 headers of a PEM block (traditional encryption) and its base64 body. */
    private record Headers(boolean encrypted, String dekInfo, String base64) {
        static Headers split(String body) {
            boolean encrypted = false;
            String dekInfo = null;
            StringBuilder base64 = new StringBuilder();
            for (String line : body.split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String name = line.substring(0, colon).trim();
                    String value = line.substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("Proc-Type")) {
                        encrypted = value.toUpperCase(Locale.ROOT).contains("ENCRYPTED");
                    } else if (name.equalsIgnoreCase("DEK-Info")) {
                        dekInfo = value;
                    }
                } else {
                    base64.append(line.trim());
                }
            }
            return new Headers(encrypted, dekInfo, base64.toString());
        }
    }

    /** Just enough DER to walk a SEC1 key: definite lengths, one element at a time. */
    private static final class DerReader {
        private final byte[] bytes;
        private int position;
        private final int end;

        DerReader(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private DerReader(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean atEnd() {
            return position >= end;
        }

        int peekTag() {
            return bytes[position] & 0xff;
        }

        DerReader enter(int tag) throws GeneralSecurityException {
            int length = header(tag);
            DerReader inner = new DerReader(bytes, position, position + length);
            position += length;
            return inner;
        }

        void skip(int tag) throws GeneralSecurityException {
            int length = header(tag);
            position += length;
        }

        /** The whole element, tag and length included. */
        byte[] element(int tag) throws GeneralSecurityException {
            int start = position;
            int length = header(tag);
            position += length;
            return java.util.Arrays.copyOfRange(bytes, start, position);
        }

        private int header(int tag) throws GeneralSecurityException {
            if (atEnd() || peekTag() != tag) {
                throw new GeneralSecurityException("malformed key: expected DER tag " + tag);
            }
            position++;
            int first = bytes[position++] & 0xff;
            int length = first;
            if (first >= 0x80) {
                int count = first & 0x7f;
                if (count == 0 || count > 4) {
                    throw new GeneralSecurityException("malformed key: DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (bytes[position++] & 0xff);
                }
            }
            if (length < 0 || position + length > end) {
                throw new GeneralSecurityException("malformed key: DER length past the end");
            }
            return length;
        }
    }
}
