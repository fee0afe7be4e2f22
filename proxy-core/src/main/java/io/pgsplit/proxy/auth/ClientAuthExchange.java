package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** One client's password exchange, driven by the startup handler; one instance per connection. */
public interface ClientAuthExchange {

    /** The first Authentication request sent to the client. */
    ByteBuf start(ByteBufAllocator alloc);

    /** Handles the body of a PasswordMessage / SASLInitialResponse / SASLResponse ('p'). Does not release it. */
    AuthStep onPasswordMessage(ByteBuf body, ByteBufAllocator alloc);
}
